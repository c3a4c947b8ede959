namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The mode of a version-level immutability (WORM) policy.</summary>
public enum BlobImmutabilityMode
{
    /// <summary>The retention date may still be shortened or the policy deleted.</summary>
    Unlocked = 0,

    /// <summary>The retention date may only be extended; the policy cannot be deleted.</summary>
    Locked = 1,
}
