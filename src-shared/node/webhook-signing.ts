import { Webhook } from 'standardwebhooks';

/** The three Standard Webhooks headers of one signed request. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a request body per Standard Webhooks: `webhook-signature` is `v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">` under the secret (`whsec_<base64>`), so a receiver verifies it with
 * any `standardwebhooks` library. `id` stays the same on every attempt of one delivery.
 */
export function signWebhook(secret: string, id: string, body: string, at: Date = new Date()): WebhookHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
