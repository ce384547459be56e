-- AlterTable
ALTER TABLE "Director" ADD COLUMN "vipInterface" TEXT;

