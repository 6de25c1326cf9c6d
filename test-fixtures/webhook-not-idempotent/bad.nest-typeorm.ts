import { Body, Controller, Headers, HttpException, HttpStatus, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import Stripe from 'stripe';
import { SubscriptionsService } from './modules/subscriptions.service';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

// NestJS + TypeORM: the service inserts a payment row per delivery; the controller gets the
// DataSource injected to claim the event id.
@Controller('webhooks')
export class StripeWebhookController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
  ) {}

  @Post('stripe')
  async handle(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature: string) { // expect: webhook-not-idempotent
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(req.rawBody!, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    } catch {
      throw new HttpException('bad signature', HttpStatus.BAD_REQUEST);
    }
    if (event.type === 'invoice.paid') {
      await this.subscriptions.recordPayment(event as never);
    }
    return { received: true };
  }
}
