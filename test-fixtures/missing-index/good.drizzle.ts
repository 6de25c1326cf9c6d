import { and, eq, gt } from 'drizzle-orm';
import { db } from './web/db';
import { customers, notes, subscriptions } from './web/db/schema';
import Coupon from './web/models/coupon';

// Primary key, unique column, and the leading column of the table's index.
export const one = (id: number) => db.select().from(subscriptions).where(eq(subscriptions.id, id));
export const byEmail = (email: string) => db.query.customers.findFirst({ where: eq(customers.email, email) });
export const renewing = (customerId: number, at: Date) => db.select().from(subscriptions).where(and(eq(subscriptions.customerId, customerId), gt(subscriptions.renewsAt, at)));

// Sequelize: a unique attribute and an index from the model's options.
export const coupon = (code: string) => Coupon.findOne({ where: { code } });
export const expiring = (at: Date) => Coupon.findAll({ where: { expiresAt: at } });

// A primary key declared with options on a chained line.
export const note = (id: number) => db.select().from(notes).where(eq(notes.id, id));
