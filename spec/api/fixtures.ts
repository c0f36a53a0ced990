/** Small objects shaped like MX's answers (the spec's examples, trimmed). */
export const user = { guid: 'USR-11141024-90b3-1bce-cac9-c06ced52ab4c', id: 'customer-42', email: null, is_disabled: false, metadata: null };
export const institution = {
  code: 'mxbank', name: 'MX Bank', url: 'https://www.mx.com', supports_account_statement: true, supports_oauth: false,
  medium_logo_url: null, small_logo_url: null,
};
export const credential = { guid: 'CRD-1ec152cd-e628-e81a-e852-d1e7104624da', field_name: 'LOGIN', label: 'Username', display_order: 1, field_type: 'TEXT', type: 'TEXT' };
export const member = {
  guid: 'MBR-7c6f361b-e582-15b6-60c0-358f12466b4b', id: null, user_guid: user.guid, institution_code: 'mxbank', name: 'MX Bank',
  connection_status: 'CONNECTED', is_being_aggregated: false, most_recent_job_guid: 'JOB-1', most_recent_job_detail_text: null,
};
export const status = { guid: member.guid, connection_status: 'CHALLENGED', is_being_aggregated: true, is_authenticated: false, challenges: [] };
export const challenge = {
  guid: 'CRD-ce76d2e3-86bd-ec4a-ec52-eb53b5194bf5', label: 'What city were you born in?', field_name: null, type: 'TEXT',
};
export const statement = {
  guid: 'STA-737a344b-caae-0f6e-1384-01f52e75dcb1', account_guid: 'ACT-1', member_guid: member.guid, user_guid: user.guid,
  content_hash: 'ca53785b812d00ef821c3d94bfd6e5bbc0020504410589b7ea8552169f021981', created_at: '2016-10-13T18:07:57.000Z',
  uri: `/users/${user.guid}/members/${member.guid}/statements/STA-737a344b-caae-0f6e-1384-01f52e75dcb1.pdf`,
};
