-- AlterTable
ALTER TABLE "Apply" ADD COLUMN "heartbeatAt" DATETIME;
ALTER TABLE "Apply" ADD COLUMN "owner" TEXT;

-- CreateTable
CREATE TABLE "Lease" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Apply_status_heartbeatAt_idx" ON "Apply"("status", "heartbeatAt");

