using CloudArchive.Core.Identity;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>Who a test request is made as: <see cref="DevelopmentTokenHandler"/> mints the token for it.</summary>
/// <param name="ObjectId">The caller's object id.</param>
/// <param name="Groups">Group ids in the token.</param>
/// <param name="Roles">App roles in the token (default <c>Research.Read</c>).</param>
public sealed record TestCaller(string ObjectId, IReadOnlyList<string> Groups, IReadOnlyList<string>? Roles = null)
{
    public static readonly HttpRequestOptionsKey<TestCaller> Key = new("cloudarchive-test-caller");

    public IReadOnlyList<string> EffectiveRoles => Roles ?? [ArchiveRoles.ResearchRead];
}
