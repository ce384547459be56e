-- The keepalived engine (issue 14): the cluster's engine, per-service health checks, a per-realserver check port.
ALTER TABLE "Cluster" ADD COLUMN "engine" TEXT NOT NULL DEFAULT 'ipvsadm';
ALTER TABLE "VirtualService" ADD COLUMN "healthCheck" TEXT;
ALTER TABLE "VirtualService" ADD COLUMN "onFailure" TEXT NOT NULL DEFAULT 'quiesce';
ALTER TABLE "VirtualService" ADD COLUMN "sorryServer" TEXT;
ALTER TABLE "RealServer" ADD COLUMN "checkPort" INTEGER;
