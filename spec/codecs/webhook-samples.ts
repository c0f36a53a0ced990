/** The sample payloads of mx-api-today.md §5 (MX's webhook pages). */
export const MX_SAMPLES = {
  statement: {
    action: 'member_data_updated', completed_at: 1531947410, completed_on: '2018-07-18', member_guid: 'MBR-7c6f361b',
    statements_created_count: 3, type: 'STATEMENT', user_guid: 'USR-fa7537f3',
  },
  aggregation: {
    action: 'member_data_updated', completed_at: 1531947410, completed_on: '2018-07-18', is_background: false,
    job_guid: 'JOB-1', member_guid: 'MBR-7c6f361b', transactions_created_count: 2, transactions_updated_count: 0,
    type: 'AGGREGATION', user_guid: 'USR-fa7537f3', user_id: 'customer-42',
  },
  connectionStatus: {
    action: 'CHANGED', connection_status: 'CHALLENGED', connection_status_id: 3,
    connection_status_message: 'MX Bank is asking for additional authentication', member_guid: 'MBR-7c6f361b',
    type: 'CONNECTION_STATUS', user_guid: 'USR-fa7537f3',
  },
} as const;
