/** `<logical cores>-core-<CPU model>`, lower case, non-alphanumerics as dashes. */
export declare function machineName(): string;
