namespace CloudArchive.Core.Lifecycle;

/// <summary>What <see cref="IArchiveTagIndex.DeleteUnheldAsync"/> did.</summary>
public enum InstanceDeletion
{
    /// <summary>The instance was deleted.</summary>
    Deleted,

    /// <summary>The instance is held (<c>ca_hold</c> = <c>1</c>); nothing was deleted.</summary>
    Held,

    /// <summary>The instance did not exist (already deleted, e.g. by an interrupted earlier run).</summary>
    Gone,
}
