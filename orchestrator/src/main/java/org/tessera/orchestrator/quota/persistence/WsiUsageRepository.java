package org.tessera.orchestrator.quota.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tessera.orchestrator.common.persistence.Jdbc;

/**
 * SQL for {@code wsi_usage}: the WSIs counted per organization, user and calendar month. Every method works in the
 * caller's connection (transaction).
 */
@ApplicationScoped
public class WsiUsageRepository {

    /** Adds WSIs to a user's month. */
    public void add(Connection c, String organizationId, String userId, YearMonth month, int wsis) throws SQLException {
        if (wsis < 0) {
            throw new IllegalArgumentException("use subtract() to take WSIs away, not add(" + wsis + ")");
        }
        Jdbc.update(
                c,
                "INSERT INTO wsi_usage (organization_id, user_id, month, wsis) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (organization_id, month, user_id) DO UPDATE SET wsis = wsi_usage.wsis + ?",
                organizationId,
                userId,
                month.toString(),
                wsis,
                wsis);
    }

    /** Takes WSIs a user's month counted away again (never below zero: the table refuses that). */
    public void subtract(Connection c, String organizationId, String userId, YearMonth month, int wsis)
            throws SQLException {
        Jdbc.update(
                c,
                "UPDATE wsi_usage SET wsis = wsis - ? WHERE organization_id = ? AND month = ? AND user_id = ?",
                wsis,
                organizationId,
                month.toString(),
                userId);
    }

    /**
     * What a quota check reads once its organization is locked, in one statement: the organization's WSIs in the
     * month, the user's, and the user's own monthly limit (null when none is set or the user is unknown).
     */
    public record MonthForUser(int organizationWsis, int userWsis, Integer userMonthlyLimit) {}

    public MonthForUser monthForUser(Connection c, String organizationId, String userId, YearMonth month)
            throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT (SELECT COALESCE(sum(wsis), 0) FROM wsi_usage WHERE organization_id = ? AND month = ?),"
                                + " (SELECT wsis FROM wsi_usage WHERE organization_id = ? AND month = ? AND user_id = ?),"
                                + " (SELECT monthly_wsi_limit FROM app_user WHERE user_id = ?)",
                        rs -> new MonthForUser(
                                rs.getInt(1), rs.getInt(2), rs.getObject(3) == null ? null : rs.getInt(3)),
                        organizationId,
                        month.toString(),
                        organizationId,
                        month.toString(),
                        userId,
                        userId)
                .orElseThrow();
    }

    /** The organization's WSIs in the month, all users together. */
    public int ofOrganization(Connection c, String organizationId, YearMonth month) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT COALESCE(sum(wsis), 0) FROM wsi_usage WHERE organization_id = ? AND month = ?",
                        rs -> rs.getInt(1),
                        organizationId,
                        month.toString())
                .orElse(0);
    }

    public int ofUser(Connection c, String organizationId, String userId, YearMonth month) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT wsis FROM wsi_usage WHERE organization_id = ? AND month = ? AND user_id = ?",
                        rs -> rs.getInt(1),
                        organizationId,
                        month.toString(),
                        userId)
                .orElse(0);
    }

    /** The organization's WSIs in the month per user, by user id; users without any are left out. */
    public Map<String, Integer> byUser(Connection c, String organizationId, YearMonth month) throws SQLException {
        List<Map.Entry<String, Integer>> rows = Jdbc.list(
                c,
                "SELECT user_id, wsis FROM wsi_usage WHERE organization_id = ? AND month = ? AND wsis > 0"
                        + " ORDER BY user_id",
                rs -> Map.entry(rs.getString(1), rs.getInt(2)),
                organizationId,
                month.toString());
        Map<String, Integer> byUser = new LinkedHashMap<>();
        rows.forEach(row -> byUser.put(row.getKey(), row.getValue()));
        return byUser;
    }
}
