namespace CloudArchive.Core.Audit;

/// <summary>
/// Lets callers outside Core ask, before they build an <see cref="AuditEvent"/>, whether a value they did not choose
/// (a caller's correlation id, an agreement's purpose of use) would be accepted in an audit field, so they can drop
/// it instead of failing the audit write. The rules themselves stay in one place.
/// </summary>
public static class AuditFieldCheck
{
    /// <summary>Whether <paramref name="value"/> is accepted as <see cref="AuditEvent.CorrelationId"/>.</summary>
    public static bool IsCorrelationId(string? value) => value is not null && AuditFieldRules.CorrelationId().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> is accepted as <see cref="AuditEvent.PurposeOfUse"/>.</summary>
    public static bool IsPurposeOfUse(string? value) => value is not null && AuditFieldRules.PurposeOfUse().IsMatch(value);
}
