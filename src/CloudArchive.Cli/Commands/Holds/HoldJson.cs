using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Core.Lifecycle.Holds;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary>A hold as the <c>--json</c> output shows it (the reasons are shown: they are the operators' own words).</summary>
internal static class HoldJson
{
    public static JsonObject For(LegalHold hold)
    {
        var o = new JsonObject();
        LegalHoldJson.AddPlacement(o, hold);
        o["placedAt"] = hold.PlacedAt.ToString("O", CultureInfo.InvariantCulture);
        o["active"] = hold.IsActive;
        o["releasedBy"] = hold.ReleasedBy;
        o["releasedAt"] = hold.ReleasedAt?.ToString("O", CultureInfo.InvariantCulture);
        o["releaseReason"] = hold.ReleaseReason;
        return o;
    }

    public static string Line(LegalHold hold) =>
        string.Create(CultureInfo.InvariantCulture, $"{hold.Id}  {(hold.IsActive ? "active  " : "released")}  {(hold.Scope == LegalHoldScope.Study ? "study  " : "patient")} {hold.Target}  case {hold.Case}  placed {hold.PlacedAt:u} by {hold.PlacedBy}")
        + (hold.ReleasedAt is { } r ? string.Create(CultureInfo.InvariantCulture, $"  released {r:u} by {hold.ReleasedBy}") : string.Empty);
}
