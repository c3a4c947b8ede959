namespace CloudArchive.Core.Audit;

/// <summary>
/// An opaque key as stored in blob names and tags (docs/architecture.md §2): 26 base32 characters (RFC 4648
/// alphabet, all upper- or all lowercase) of an HMAC under the index key — a study key, instance key or
/// patient pseudonym. The type accepts nothing else, so a UID, name or medical record number cannot be
/// placed where an audit record expects a key.
/// </summary>
public readonly record struct OpaqueKey
{
    /// <summary>Validates and wraps a key.</summary>
    /// <exception cref="ArgumentException">The text is not 26 base32 characters (the value is not echoed).</exception>
    public OpaqueKey(string value)
    {
        Value = AuditFieldRules.Require(value, AuditFieldRules.OpaqueKey(), "key", "26 base32 characters (an opaque HMAC key)");
    }

    /// <summary>The key text.</summary>
    public string Value { get; }

    /// <summary>True when <paramref name="value"/> is a well-formed opaque key.</summary>
    public static bool IsValid(string? value) => value is not null && AuditFieldRules.OpaqueKey().IsMatch(value);

    /// <summary>The key text.</summary>
    public override string ToString() => Value;
}
