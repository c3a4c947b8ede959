namespace CloudArchive.Azure.Composition;

/// <summary>
/// The archive's container names (docs/architecture.md §2), from <c>CloudArchive:Containers:{Role}</c> or the lowercase
/// role name. One set for every process, so the function app, the CLI and the infrastructure agree on them.
/// </summary>
public sealed class ArchiveContainerNames
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:Containers";

    /// <summary>The roles, in the order status and dev up show them.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["Incoming", "Archive", "Quarantine", "Keyring", "Research", "Audit", "Control", "Seals"];

    /// <summary>Uploads from modalities and gateways.</summary>
    public required string Incoming { get; init; }

    /// <summary>Encrypted instances and index records.</summary>
    public required string Archive { get; init; }

    /// <summary>Rejected uploads with reason files.</summary>
    public required string Quarantine { get; init; }

    /// <summary>Wrapped study keys, the index key, agreement secrets.</summary>
    public required string Keyring { get; init; }

    /// <summary>The append-only audit log.</summary>
    public required string Audit { get; init; }

    /// <summary>Agreements, consents, export ledger (administrators only).</summary>
    public required string Control { get; init; }

    /// <summary>The audit log's signed hourly seals (create-only; time-based immutability in Azure).</summary>
    public required string Seals { get; init; }

    /// <summary>De-identified research copies.</summary>
    public required string Research { get; init; }

    /// <summary>All names, in <see cref="Roles"/> order.</summary>
    public IReadOnlyList<string> All => [Incoming, Archive, Quarantine, Keyring, Research, Audit, Control, Seals];

    /// <summary>The name for a role (<c>Incoming</c>, <c>Archive</c>, ...; case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not a role.</exception>
    public string For(string role) => role.ToLowerInvariant() switch
    {
        "incoming" => Incoming,
        "archive" => Archive,
        "quarantine" => Quarantine,
        "keyring" => Keyring,
        "audit" => Audit,
        "control" => Control,
        "research" => Research,
        "seals" => Seals,
        _ => throw new ArgumentException($"'{role}' is not a container role.", nameof(role)),
    };

    /// <summary>Reads the names; a blank setting means the default.</summary>
    public static ArchiveContainerNames Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        string Name(string role) => get($"{Section}:{role}") is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : role.ToLowerInvariant();
        return new ArchiveContainerNames
        {
            Incoming = Name("Incoming"),
            Archive = Name("Archive"),
            Quarantine = Name("Quarantine"),
            Keyring = Name("Keyring"),
            Audit = Name("Audit"),
            Control = Name("Control"),
            Research = Name("Research"),
            Seals = Name("Seals"),
        };
    }
}
