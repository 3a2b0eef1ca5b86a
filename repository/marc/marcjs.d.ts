/** The part of `marcjs` (CommonJS, untyped) this folder uses. */
declare module 'marcjs' {
  type MarcjsField = [tag: string, ...rest: string[]];

  class MarcjsRecord {
    leader: string;
    /** `[tag, value]` for control fields; `[tag, indicators, code, value, code, value, …]` for data fields. */
    fields: MarcjsField[];
    append(...fields: MarcjsField[]): this;
    /** The record as MARC-in-JSON. */
    mij(): { leader: string; fields: Record<string, string | { ind1: string; ind2: string; subfields: Record<string, string>[] }>[] };
  }

  const marcjs: {
    Record: typeof MarcjsRecord;
    Marc: {
      /** One record: ISO 2709 bytes (`iso2709`) or one `<record>` element (`marcxml`). Validates nothing. */
      parse(raw: Buffer | string, type: 'iso2709' | 'marcxml'): MarcjsRecord;
      /** One record as ISO 2709 (a string whose UTF-8 bytes are the record) or a MARCXML `<record>` element. */
      format(record: MarcjsRecord, type: 'iso2709' | 'marcxml'): string;
    };
  };
  export default marcjs;
  export type { MarcjsRecord };
}
