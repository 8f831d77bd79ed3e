/** Spec D's WhatsApp example, verbatim. */
export const SPEC_WHATSAPP = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '1234567890',
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15551234567', phone_number_id: '987654321' },
            messages: [
              {
                from: '1234567890',
                id: 'wamid.abc123def456',
                timestamp: '1672531200',
                text: { body: 'Hi, I need help with my order ORD123456' },
                type: 'text',
              },
            ],
          },
          field: 'messages',
        },
      ],
    },
  ],
};
