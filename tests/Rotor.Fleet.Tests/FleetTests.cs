namespace Rotor.Fleet.Tests;

/// <summary>One fleet for every test, one test at a time: they kill and restart its parts.</summary>
[CollectionDefinition(Name)]
public sealed class FleetTests : ICollectionFixture<Fleet>
{
    public const string Name = "fleet";
}
