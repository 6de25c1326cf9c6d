// The service the NestJS controller fixtures inject.
export class BillingService {
  constructor(private readonly mailer: { sendInvoicePaidEmail(to: string): Promise<void> }, private readonly repo: any) {}

  async handleInvoicePaid(event: { data: { object: { customer_email: string; id: string } } }) {
    await this.repo.update({ invoiceId: event.data.object.id }, { status: 'paid' });
    await this.mailer.sendInvoicePaidEmail(event.data.object.customer_email);
  }

  async syncSubscription(event: { data: { object: { id: string; status: string } } }) {
    await this.repo.update({ stripeId: event.data.object.id }, { status: event.data.object.status });
  }
}
