package org.tessera.orchestrator.quota.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Parallel-run limits: which waiting runs of an organization may start now. A run counts as parallel from admission
 * until it is terminal. Waiting runs start in submission order; one whose user is at their own limit is passed over
 * (it waits for a run of that user to end), one that finds the organization at its limit stops the line.
 */
public final class RunSlots {

    /** A run waiting for a slot, in its place in the line. */
    public record Waiting(UUID runId, String userId) {
        public Waiting {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * The limits and what is in progress now.
     *
     * @param organizationLimit the organization's parallel runs; null for unlimited
     * @param userLimits each user's parallel runs (a missing or null entry is unlimited)
     * @param inProgressByUser the organization's runs in progress, per user
     */
    public record Occupancy(
            Integer organizationLimit, Map<String, Integer> userLimits, Map<String, Integer> inProgressByUser) {

        public Occupancy {
            userLimits = new HashMap<>(userLimits);
            inProgressByUser = new HashMap<>(inProgressByUser);
        }

        public int organizationInProgress() {
            return inProgressByUser.values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
        }

        /** Whether a run of this user could start now. */
        public boolean hasRoomFor(String userId) {
            return hasRoom(organizationLimit, organizationInProgress())
                    && hasRoom(userLimits.get(userId), inProgressByUser.getOrDefault(userId, 0));
        }
    }

    private RunSlots() {}

    /** The waiting runs that start now, in the order they start. */
    public static List<UUID> admissible(Occupancy occupancy, List<Waiting> line) {
        Map<String, Integer> inProgress = new HashMap<>(occupancy.inProgressByUser());
        int organization = occupancy.organizationInProgress();
        List<UUID> starting = new ArrayList<>();
        for (Waiting run : line) {
            if (!hasRoom(occupancy.organizationLimit(), organization)) {
                break;
            }
            int ofUser = inProgress.getOrDefault(run.userId(), 0);
            if (hasRoom(occupancy.userLimits().get(run.userId()), ofUser)) {
                starting.add(run.runId());
                inProgress.put(run.userId(), ofUser + 1);
                organization++;
            }
        }
        return starting;
    }

    public static boolean hasRoom(Integer limit, int inProgress) {
        return limit == null || inProgress < limit;
    }
}
