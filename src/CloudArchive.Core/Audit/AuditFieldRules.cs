using System.Text.RegularExpressions;

namespace CloudArchive.Core.Audit;

/// <summary>
/// The character-level rules that keep audit fields free of free text. An audit line must never carry
/// patient data; restricting every field to a code-like alphabet means a name, an address or a UID
/// cannot be put into one by accident (a UID, for example, contains dots and digits only and is rejected
/// where an opaque key is expected because of its length and alphabet).
/// </summary>
internal static partial class AuditFieldRules
{
    [GeneratedRegex("^(?:[A-Z2-7]{26}|[a-z2-7]{26})$", RegexOptions.CultureInvariant)]
    public static partial Regex OpaqueKey();

    [GeneratedRegex("^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?:app|svc|cli|system):[A-Za-z0-9._-]{1,64})$", RegexOptions.CultureInvariant)]
    public static partial Regex ActorId();

    [GeneratedRegex("^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,190}$", RegexOptions.CultureInvariant)]
    public static partial Regex Upn();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex Code();

    [GeneratedRegex("^[A-Z][A-Z0-9]{1,15}$", RegexOptions.CultureInvariant)]
    public static partial Regex PurposeOfUse();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
    public static partial Regex CorrelationId();

    [GeneratedRegex("^[a-z0-9]+(?:[.-][a-z0-9]+)*(?:=[A-Za-z0-9._:-]{1,64})?$", RegexOptions.CultureInvariant)]
    public static partial Regex Detail();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$", RegexOptions.CultureInvariant)]
    public static partial Regex WriterId();

    public static string Require(string? value, Regex pattern, string field, string expected)
    {
        if (value is null || !pattern.IsMatch(value))
        {
            // The rejected value is not echoed: it may be exactly the patient data this check keeps out.
            throw new ArgumentException($"Audit field '{field}' must be {expected}.", field);
        }

        return value;
    }
}
