namespace CloudArchive.Deidentification;

/// <summary>An instance could not be de-identified; carries a typed <see cref="DeidFailure"/> and a reason that never
/// contains patient data.</summary>
public sealed class DeidentificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeidentificationException(DeidFailure failure, string reason, Exception? inner = null)
        : base(reason, inner)
    {
        Failure = failure;
    }

    /// <summary>The failure kind.</summary>
    public DeidFailure Failure { get; }
}
