namespace OneMap.DuckDb.Tests;

public class EngineTests
{
    [Fact]
    public void the_engine_is_copied_beside_the_test_assembly()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libduckdb.so")));
    }
}
