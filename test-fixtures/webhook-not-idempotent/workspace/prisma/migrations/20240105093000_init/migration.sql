-- CreateTable
CREATE TABLE "User" ("id" SERIAL NOT NULL, "clerkId" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
