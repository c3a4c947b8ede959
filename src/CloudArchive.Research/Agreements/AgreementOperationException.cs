namespace CloudArchive.Research.Agreements;

/// <summary>An agreement operation refused for a reason the caller can act on (the id is not patient data).</summary>
public sealed class AgreementOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgreementOperationException(AgreementOperationFailure failure, string agreementId)
        : base(Describe(failure, agreementId))
    {
        Failure = failure;
        AgreementId = agreementId;
    }

    /// <summary>What went wrong.</summary>
    public AgreementOperationFailure Failure { get; }

    /// <summary>The agreement concerned.</summary>
    public string AgreementId { get; }

    private static string Describe(AgreementOperationFailure failure, string id) => failure switch
    {
        AgreementOperationFailure.NotFound => $"Agreement '{id}' does not exist.",
        AgreementOperationFailure.AlreadyExists => $"Agreement '{id}' already exists; agreement ids are never reused.",
        AgreementOperationFailure.AlreadyClosed => $"Agreement '{id}' is already closed.",
        AgreementOperationFailure.Conflict => $"Agreement '{id}' was changed by someone else since it was read; read it again and retry.",
        _ => $"Agreement '{id}': {failure}.",
    };
}
