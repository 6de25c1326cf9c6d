import { Body, Controller, Headers, Post } from '@nestjs/common';
import Stripe from 'stripe';
import { BillingService } from './modules/billing.service';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

@Controller('webhooks')
export class StripeWebhookController {
  constructor(private readonly billing: BillingService) {}

  // The service the event goes to e-mails the customer; a redelivery e-mails again.
  @Post('stripe')
  async receive(@Body() body: Buffer, @Headers('stripe-signature') signature: string) { // expect: webhook-not-idempotent
    const event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    if (event.type === 'invoice.paid') await this.billing.handleInvoicePaid(event as never);
    return { received: true };
  }

  // Only state the event sets: repeating it changes nothing.
  @Post('stripe-subscriptions')
  async subscriptions(@Body() body: Buffer, @Headers('stripe-signature') signature: string) {
    const event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    if (event.type === 'customer.subscription.updated') await this.billing.syncSubscription(event as never);
    return { received: true };
  }
}
