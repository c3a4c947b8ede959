namespace CloudArchive.Core.Minimization;

/// <summary>
/// Data minimization policy: which attributes to remove from archived instances (per modality / SOP class)
/// and which private creators' blocks to keep. Loaded by <see cref="MinimizationPolicyLoader"/>, applied by
/// <see cref="DataMinimizer"/>.
/// </summary>
public sealed class MinimizationPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="name">Policy name.</param>
    /// <param name="rules">Removal rules.</param>
    /// <param name="keptPrivateCreators">Private creators whose blocks are kept; null keeps every private element.</param>
    public MinimizationPolicy(string name, IReadOnlyList<MinimizationRule> rules, IReadOnlyCollection<string>? keptPrivateCreators)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rules);
        Name = name;
        Rules = rules;
        KeptPrivateCreators = keptPrivateCreators is null
            ? null
            : new HashSet<string>(keptPrivateCreators.Select(c => c.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Policy name.</summary>
    public string Name { get; }

    /// <summary>Removal rules in file order.</summary>
    public IReadOnlyList<MinimizationRule> Rules { get; }

    /// <summary>Private creators (compared trimmed, case-insensitively) whose blocks are kept; null keeps all
    /// private data. When set, private data of other creators, orphaned private data and private group
    /// lengths are removed.</summary>
    public IReadOnlySet<string>? KeptPrivateCreators { get; }

    /// <summary>The rules that apply to an instance.</summary>
    public IReadOnlyList<MinimizationRule> RulesFor(string? modality, string? sopClassUid) =>
        Rules.Where(r => r.AppliesTo(modality, sopClassUid)).ToArray();
}
