-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RealServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serviceId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "upperThreshold" INTEGER NOT NULL DEFAULT 0,
    "lowerThreshold" INTEGER NOT NULL DEFAULT 0,
    "hostId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RealServer_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "VirtualService" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RealServer_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_RealServer" ("address", "createdAt", "enabled", "hostId", "id", "lowerThreshold", "port", "serviceId", "updatedAt", "upperThreshold", "weight") SELECT "address", "createdAt", "enabled", "hostId", "id", "lowerThreshold", "port", "serviceId", "updatedAt", "upperThreshold", "weight" FROM "RealServer";
DROP TABLE "RealServer";
ALTER TABLE "new_RealServer" RENAME TO "RealServer";
CREATE UNIQUE INDEX "RealServer_serviceId_address_port_key" ON "RealServer"("serviceId", "address", "port");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

