import { and, eq, gt } from 'drizzle-orm';
import { db } from './web/db';
import { subscriptions } from './web/db/schema';
import Coupon from './web/models/coupon';

export async function onPlan(plan: string) {
  return db.select().from(subscriptions).where(eq(subscriptions.plan, plan)); // expect: missing-index
}

export async function ofCampaign(campaign: string) {
  return Coupon.findAll({ where: { campaign } }); // expect: missing-index
}
