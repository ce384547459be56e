-- Adoption (issue 16): what each cluster owns on its director, firewall-mark services, the
-- operator's keepalived.conf a cluster imported, and the table the drift check compares with. Clusters applied before this migration get their
-- ownership from their last successful apply, on first use (apps/api/src/services/apply/ownership.ts):
-- the keys need the domain's canonical addresses.
-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "adoptedKeepalivedConf" TEXT;
ALTER TABLE "Cluster" ADD COLUMN "knownTable" TEXT;

-- CreateTable
CREATE TABLE "OwnedService" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "directorHostId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OwnedService_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_VirtualService" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "vip" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "fwmark" INTEGER NOT NULL DEFAULT 0,
    "scheduler" TEXT NOT NULL,
    "schedulerFlags" TEXT NOT NULL DEFAULT '',
    "persistence" INTEGER,
    "persistenceNetmask" TEXT,
    "forwarding" TEXT NOT NULL,
    "healthCheck" TEXT,
    "onFailure" TEXT NOT NULL DEFAULT 'quiesce',
    "sorryServer" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VirtualService_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_VirtualService" ("clusterId", "createdAt", "forwarding", "healthCheck", "id", "onFailure", "persistence", "persistenceNetmask", "port", "protocol", "scheduler", "schedulerFlags", "sorryServer", "updatedAt", "vip") SELECT "clusterId", "createdAt", "forwarding", "healthCheck", "id", "onFailure", "persistence", "persistenceNetmask", "port", "protocol", "scheduler", "schedulerFlags", "sorryServer", "updatedAt", "vip" FROM "VirtualService";
DROP TABLE "VirtualService";
ALTER TABLE "new_VirtualService" RENAME TO "VirtualService";
CREATE UNIQUE INDEX "VirtualService_clusterId_protocol_vip_port_fwmark_key" ON "VirtualService"("clusterId", "protocol", "vip", "port", "fwmark");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OwnedService_clusterId_idx" ON "OwnedService"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "OwnedService_directorHostId_key_key" ON "OwnedService"("directorHostId", "key");

