namespace StreamMetrics.Testing;

/// <summary>Finds the real order data sets of ../shared/datasets by walking up from the test binaries.</summary>
public static class DataSets
{
    public static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets", relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"shared/datasets/{relativePath} was not found above {AppContext.BaseDirectory}; the data sets live beside the repository in ../shared/datasets");
    }
}
