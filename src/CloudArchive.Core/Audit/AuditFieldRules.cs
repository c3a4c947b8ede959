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
    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A(?:[A-Z2-7]{26}|[a-z2-7]{26})\z", RegexOptions.CultureInvariant)]
    public static partial Regex OpaqueKey();

    [GeneratedRegex(@"\A(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?:app|svc|cli|system):[A-Za-z0-9._-]{1,64})\z", RegexOptions.CultureInvariant)]
    public static partial Regex ActorId();

    [GeneratedRegex(@"\A[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,190}\z", RegexOptions.CultureInvariant)]
    public static partial Regex Upn();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    public static partial Regex Code();

    [GeneratedRegex(@"\A[A-Z][A-Z0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    public static partial Regex PurposeOfUse();

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,128}\z", RegexOptions.CultureInvariant)]
    public static partial Regex CorrelationId();

    [GeneratedRegex(@"\A[a-z0-9]+(?:[.-][a-z0-9]+)*(?:=[A-Za-z0-9._:-]{1,64})?\z", RegexOptions.CultureInvariant)]
    public static partial Regex Detail();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,99}\z", RegexOptions.CultureInvariant)]
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
