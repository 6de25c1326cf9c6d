// Stand-in for the app's Prisma client, imported by the fixtures next to this folder.
export const db: any = {};
