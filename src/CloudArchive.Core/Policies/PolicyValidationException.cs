namespace CloudArchive.Core.Policies;

/// <summary>
/// A policy file (retention, minimization, ...) could not be loaded. Every problem found is listed in
/// <see cref="Errors"/>, so an administrator can fix a file in one pass rather than one error at a time.
/// </summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="policyKind">Which kind of policy was being loaded (e.g. "retention").</param>
    /// <param name="errors">The problems, at least one.</param>
    public PolicyValidationException(string policyKind, IReadOnlyList<PolicyValidationError> errors)
        : base(Format(policyKind, errors))
    {
        PolicyKind = policyKind;
        Errors = errors;
    }

    /// <summary>Which kind of policy was being loaded.</summary>
    public string PolicyKind { get; }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<PolicyValidationError> Errors { get; }

    private static string Format(string policyKind, IReadOnlyList<PolicyValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        var lines = errors.Select(e => "  " + e);
        return $"Invalid {policyKind} policy ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines);
    }
}
