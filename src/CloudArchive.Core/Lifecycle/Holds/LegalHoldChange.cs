namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>The outcome of placing or releasing a hold.</summary>
/// <param name="Hold">The hold document as stored.</param>
/// <param name="InstancesChanged">Instances whose <c>ca_hold</c> tag was set (place) or cleared (release).</param>
/// <param name="InstancesStillHeld">On release: instances that stay tagged because another active hold covers them.</param>
public sealed record LegalHoldChange(LegalHold Hold, int InstancesChanged, int InstancesStillHeld);
