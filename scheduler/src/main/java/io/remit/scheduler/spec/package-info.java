/** Service specs: the immutable records, parsing from YAML/JSON, and validation. */
package io.remit.scheduler.spec;
