-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "ha" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "expiresAt" DATETIME,
    "scope" TEXT NOT NULL DEFAULT 'full',
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ApiToken" ("createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "tokenHash", "userId") SELECT "createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "tokenHash", "userId" FROM "ApiToken";
DROP TABLE "ApiToken";
ALTER TABLE "new_ApiToken" RENAME TO "ApiToken";
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");
CREATE TABLE "new_Director" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "hostId" TEXT NOT NULL,
    "dip" TEXT NOT NULL,
    "interface" TEXT NOT NULL,
    "vipInterface" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Director_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Director_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Director" ("clusterId", "createdAt", "dip", "hostId", "id", "interface", "updatedAt", "vipInterface") SELECT "clusterId", "createdAt", "dip", "hostId", "id", "interface", "updatedAt", "vipInterface" FROM "Director";
DROP TABLE "Director";
ALTER TABLE "new_Director" RENAME TO "Director";
CREATE UNIQUE INDEX "Director_clusterId_position_key" ON "Director"("clusterId", "position");
CREATE UNIQUE INDEX "Director_clusterId_hostId_key" ON "Director"("clusterId", "hostId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

