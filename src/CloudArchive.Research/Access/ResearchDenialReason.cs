namespace CloudArchive.Research.Access;

/// <summary>Why the research access policy refused a request.</summary>
public enum ResearchDenialReason
{
    /// <summary>The token does not carry the <c>Research.Read</c> app role.</summary>
    MissingRole,

    /// <summary>
    /// The token's group list is incomplete (groups overage): group recipients cannot be matched, and judging the
    /// caller on part of their groups could refuse or allow the wrong agreements.
    /// </summary>
    GroupsOverage,

    /// <summary>No agreement has this id.</summary>
    UnknownAgreement,

    /// <summary>The stored agreement could not be read; nothing is released on a document that cannot be checked.</summary>
    AgreementUnreadable,

    /// <summary>The agreement names neither the caller nor one of the caller's groups.</summary>
    NotRecipient,

    /// <summary>The agreement has been closed.</summary>
    AgreementClosed,

    /// <summary>The agreement's validity has not begun.</summary>
    AgreementNotYetValid,

    /// <summary>The agreement's validity has ended.</summary>
    AgreementExpired,
}
