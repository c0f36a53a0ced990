/** MX's vendor media types for API version v20111101 (the version rides in `Accept`). */
export const MX_JSON = 'application/vnd.mx.api.v1+json';
/** The media type of statement PDFs: the `.pdf` route serves only this. */
export const MX_PDF = 'application/vnd.mx.api.v1+pdf';
