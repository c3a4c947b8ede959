using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// The tests that start a whole <c>dev up</c> (Azurite and the function app) run one after another: each prefers the
/// standard ports (10000, 7071) when free, and two starting at once can both find a port free and then collide.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DevUpCollection
{
    public const string Name = "dev up";
}
