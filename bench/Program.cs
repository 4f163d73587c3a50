Console.WriteLine("OneMap benchmarks: none registered yet");
return 0;
