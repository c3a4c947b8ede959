namespace CloudArchive.Research.Agreements;

/// <summary>Why an agreement operation could not be carried out.</summary>
public enum AgreementOperationFailure
{
    /// <summary>No agreement has that id.</summary>
    NotFound,

    /// <summary>An agreement with that id already exists (ids are never reused).</summary>
    AlreadyExists,

    /// <summary>The agreement is already closed.</summary>
    AlreadyClosed,

    /// <summary>The agreement changed since it was read (its ETag no longer matches).</summary>
    Conflict,
}
