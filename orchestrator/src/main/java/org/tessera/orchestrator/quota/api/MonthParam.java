package org.tessera.orchestrator.quota.api;

import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.quota.WsiQuotas;

/** The {@code month} query parameter: a calendar month (UTC) as {@code YYYY-MM}, the current one when absent. */
public final class MonthParam {

    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}");

    private MonthParam() {}

    public static YearMonth parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return WsiQuotas.monthOf(clock.instant());
        }
        String text = value.trim();
        try {
            if (FORMAT.matcher(text).matches()) {
                return YearMonth.parse(text);
            }
        } catch (DateTimeParseException e) {
            // falls through to the refusal below
        }
        throw ValidationFailedException.of(FieldError.query(
                "month", "month_parsing", "must be a calendar month as YYYY-MM, e.g. 2026-12; got '" + value + "'"));
    }
}
