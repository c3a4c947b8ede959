using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>One Azurite, one seeded archive and one app for the researcher API and <c>research fetch</c> tests.</summary>
[CollectionDefinition(Name)]
public sealed class ResearchApiCollection : ICollectionFixture<ResearchApiFixture>
{
    public const string Name = "research-api";
}
