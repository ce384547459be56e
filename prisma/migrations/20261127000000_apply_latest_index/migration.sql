-- CreateIndex
CREATE INDEX "Apply_clusterId_startedAt_id_idx" ON "Apply"("clusterId", "startedAt", "id");
