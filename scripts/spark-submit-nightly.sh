#!/usr/bin/env bash
# A production submission of the nightly joiner: one shaded jar, any cluster manager, any Iceberg
# catalog through ordinary Spark catalog properties, Kafka security passed through.
# Copy it, set the variables for your platform, and call it from your scheduler once a night.
#
#   JAR=logwait-joiner-job-0.1.0-spark.jar CONFIG=joiner.yaml scripts/spark-submit-nightly.sh
set -euo pipefail

JAR=${JAR:-joiner-job/target/logwait-joiner-job-0.1.0-SNAPSHOT-spark.jar}
CONFIG=${CONFIG:-joiner.yaml}          # topics, label specs, catalog name and namespace
MASTER=${MASTER:-yarn}                  # yarn | k8s://https://… | spark://host:7077
DEPLOY_MODE=${DEPLOY_MODE:-cluster}

# An Iceberg REST catalog; for Hive use type=hive + uri=thrift://…, for Glue
# catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog, for Nessie catalog-impl=…NessieCatalog.
CATALOG=logwait
CATALOG_CONF=(
  --conf "spark.sql.catalog.$CATALOG=org.apache.iceberg.spark.SparkCatalog"
  --conf "spark.sql.catalog.$CATALOG.type=rest"
  --conf "spark.sql.catalog.$CATALOG.uri=${CATALOG_URI:-https://iceberg-catalog.internal/api}"
  --conf "spark.sql.catalog.$CATALOG.warehouse=${WAREHOUSE:-s3://ml-training/logwait}"
)

# Kafka security: every key under kafka.properties.* in the config (or --set) reaches the consumers,
# e.g. in joiner.yaml:
#   kafka:
#     properties:
#       security.protocol: SASL_SSL
#       sasl.mechanism: SCRAM-SHA-512
#       sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="…" password="…";
# Ship the JAAS/truststore files with --files and refer to them by file name.

exec spark-submit \
  --master "$MASTER" --deploy-mode "$DEPLOY_MODE" \
  --name logwait-joiner-nightly \
  --class dev.logwait.joiner.cli.JoinerMain \
  --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions \
  --conf spark.sql.session.timeZone=UTC \
  "${CATALOG_CONF[@]}" \
  --files "$CONFIG" \
  "$JAR" run --config "$(basename "$CONFIG")" --set "catalog.name=$CATALOG"
