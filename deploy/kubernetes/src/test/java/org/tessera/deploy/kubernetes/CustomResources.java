package org.tessera.deploy.kubernetes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * Typed models of the custom resources used here (Strimzi {@code kafka.strimzi.io/v1beta2}, KEDA
 * {@code keda.sh/v1alpha1}, CloudNativePG {@code postgresql.cnpg.io/v1}), limited to the fields these manifests may
 * use: their operators' Java models are not on Maven Central at versions that fit the fabric8 model here. Parsed with
 * unknown properties refused, so a misspelt or unsupported field fails the build instead of being ignored by the
 * operator at deploy time. Enums hold the values each operator accepts.
 */
final class CustomResources {

    private CustomResources() {}

    // ---- Strimzi ------------------------------------------------------------------------------------------------

    record Kafka(String apiVersion, String kind, ObjectMeta metadata, KafkaSpec spec) {}

    record KafkaSpec(KafkaClusterSpec kafka, EntityOperator entityOperator, KafkaExporter kafkaExporter) {}

    record KafkaClusterSpec(
            String version,
            String metadataVersion,
            List<Listener> listeners,
            Authorization authorization,
            Map<String, Object> config) {}

    record Listener(String name, int port, ListenerType type, boolean tls, ListenerAuthentication authentication) {}

    enum ListenerType {
        internal,
        route,
        loadbalancer,
        nodeport,
        ingress,
        @JsonProperty("cluster-ip")
        cluster_ip
    }

    record ListenerAuthentication(AuthenticationType type) {}

    enum AuthenticationType {
        tls,
        @JsonProperty("scram-sha-512")
        scram_sha_512,
        oauth,
        custom
    }

    record Authorization(AuthorizationType type, List<String> superUsers) {}

    enum AuthorizationType {
        simple,
        opa,
        keycloak,
        custom
    }

    record EntityOperator(Map<String, Object> topicOperator, Map<String, Object> userOperator) {}

    record KafkaExporter(String topicRegex, String groupRegex) {}

    record KafkaNodePool(String apiVersion, String kind, ObjectMeta metadata, NodePoolSpec spec) {}

    record NodePoolSpec(int replicas, List<NodeRole> roles, Storage storage, ResourceRequirements resources) {}

    enum NodeRole {
        controller,
        broker
    }

    record Storage(StorageType type, List<Volume> volumes) {}

    enum StorageType {
        jbod
    }

    record Volume(
            int id, VolumeType type, String size, String storageClass, Boolean deleteClaim, String kraftMetadata) {}

    enum VolumeType {
        @JsonProperty("persistent-claim")
        persistent_claim,
        @JsonProperty("ephemeral")
        ephemeral
    }

    record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, TopicSpec spec) {}

    record TopicSpec(String topicName, int partitions, Integer replicas, Map<String, Object> config) {}

    record KafkaUser(String apiVersion, String kind, ObjectMeta metadata, UserSpec spec) {}

    record UserSpec(ListenerAuthentication authentication, UserAuthorization authorization) {}

    record UserAuthorization(AuthorizationType type, List<Acl> acls) {}

    record Acl(AclResource resource, List<AclOperation> operations, String host) {}

    record AclResource(AclResourceType type, String name, PatternType patternType) {}

    enum AclResourceType {
        topic,
        group,
        cluster,
        transactionalId
    }

    enum PatternType {
        literal,
        prefix
    }

    enum AclOperation {
        Read,
        Write,
        Create,
        Delete,
        Alter,
        Describe,
        ClusterAction,
        AlterConfigs,
        DescribeConfigs,
        IdempotentWrite,
        All
    }

    // ---- KEDA ---------------------------------------------------------------------------------------------------

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {}

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            List<Trigger> triggers) {}

    record ScaleTargetRef(String name, String kind, String apiVersion) {}

    record Trigger(String type, Map<String, String> metadata, AuthenticationRef authenticationRef) {}

    record AuthenticationRef(String name) {}

    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {}

    record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef) {}

    record SecretTargetRef(String parameter, String name, String key) {}

    // ---- CloudNativePG ------------------------------------------------------------------------------------------

    record Cluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {}

    record ClusterSpec(
            int instances,
            String imageName,
            Bootstrap bootstrap,
            PostgresConfiguration postgresql,
            ClusterStorage storage,
            ClusterMonitoring monitoring,
            ResourceRequirements resources) {}

    record Bootstrap(InitDb initdb) {}

    record InitDb(String database, String owner, SecretRef secret) {}

    record SecretRef(String name) {}

    record PostgresConfiguration(Map<String, String> parameters) {}

    record ClusterStorage(String size, String storageClass) {}

    record ClusterMonitoring(Boolean enablePodMonitor) {}
}
