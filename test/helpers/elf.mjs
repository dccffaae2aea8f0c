// Minimal ELF64 reader for tests of the shipped binary (no binutils needed on
// a fresh machine): DT_NEEDED libraries, undefined dynamic symbols and the
// symbol versions needed from each library (GLIBC_2.34, GLIBCXX_3.4.30, ...).
import fs from 'node:fs';

export function readElf(file) {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error(`${file}: not a little-endian ELF64`);
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
      link: buf.readUInt32LE(o + 0x28),
      entsize: Number(buf.readBigUInt64LE(o + 0x38)),
    });
  }
  const str = (sec, off) => {
    const start = sec.offset + off;
    return buf.toString('latin1', start, buf.indexOf(0, start));
  };
  const needed = [];
  const undefinedSymbols = [];
  const versions = {};  // library -> version names needed from it
  for (const sec of sections) {
    if (sec.type === 6 /* SHT_DYNAMIC */) {
      const strtab = sections[sec.link];
      for (let o = sec.offset; o < sec.offset + sec.size; o += 16) {
        const tag = Number(buf.readBigInt64LE(o));
        if (tag === 0) break;
        if (tag === 1 /* DT_NEEDED */) needed.push(str(strtab, Number(buf.readBigUInt64LE(o + 8))));
      }
    }
    if (sec.type === 11 /* SHT_DYNSYM */) {
      const strtab = sections[sec.link];
      for (let o = sec.offset + 24; o < sec.offset + sec.size; o += 24) {
        const shndx = buf.readUInt16LE(o + 6);
        const name = str(strtab, buf.readUInt32LE(o));
        if (shndx === 0 && name) undefinedSymbols.push(name);
      }
    }
    if (sec.type === 0x6ffffffe /* SHT_GNU_verneed: Elf64_Verneed entries, each with its Elf64_Vernaux list */) {
      const strtab = sections[sec.link];
      for (let o = sec.offset, more = true; more; ) {
        const count = buf.readUInt16LE(o + 2);
        const file = str(strtab, buf.readUInt32LE(o + 4));
        const list = (versions[file] ??= []);
        for (let a = o + buf.readUInt32LE(o + 8), k = 0; k < count; k++) {
          list.push(str(strtab, buf.readUInt32LE(a + 8)));
          a += buf.readUInt32LE(a + 12);
        }
        const next = buf.readUInt32LE(o + 12);
        more = next !== 0;
        o += next;
      }
    }
  }
  return { needed, undefinedSymbols, versions };
}
