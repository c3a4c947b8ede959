namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// The Failure Reason (0008,1197) and Warning Reason (0008,1196) values of the Store Instances Response (PS3.18 §10.5.3,
/// with the Storage Service status codes of PS3.4 Table B.2-1 and the general codes of PS3.7 Annex C).
/// </summary>
public static class StowStatusCodes
{
    /// <summary>0x0110 Processing failure: the archive could not complete the store (retry later).</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>0x0111 Duplicate SOP Instance: another instance with this SOP Instance UID and different content is archived.</summary>
    public const ushort DuplicateSopInstance = 0x0111;

    /// <summary>0xA700 Refused, out of resources: the instance is larger than the archive accepts.</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>0xA900 Error, data set does not match SOP Class: a required attribute or UID is missing or malformed, or the instance belongs to another study than the request's.</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>0xC000 Error, cannot understand: the part is not a readable DICOM Part 10 instance.</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>0xC122 Refused, SOP Class not supported: the archive's policy does not accept the SOP Class.</summary>
    public const ushort SopClassNotSupported = 0xC122;

    /// <summary>
    /// Warning 0xB000 range, used for the idempotent duplicate: the identical instance was already archived, nothing was
    /// written, and the reference is the archived instance. PS3.4 defines no warning for this; 0xB000 ("coercion of data
    /// elements") is not used because nothing was coerced, so the archive uses the first free code of the warning range.
    /// </summary>
    public const ushort AlreadyStored = 0xB00F;
}
