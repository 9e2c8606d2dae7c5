namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A measurement, not a check: it runs only when <c>ROTOR_MEASURE=1</c> (and on PostgreSQL when it needs it), reports
/// its figures in the test output and asserts no timing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute(bool postgreSqlOnly = false)
    {
        if (Environment.GetEnvironmentVariable("ROTOR_MEASURE") != "1")
        {
            Skip = "A measurement: set ROTOR_MEASURE=1 to run it.";
        }
        else if (postgreSqlOnly && !TestDatabase.IsPostgreSql)
        {
            Skip = "A PostgreSQL measurement: set ROTOR_TEST_DATABASE=PostgreSql.";
        }
    }
}
