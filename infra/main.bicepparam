using 'main.bicep'

param appName = 'bronsync-demo'
param bronEndpoint = 'https://bron.example.invalid:6914/bron/v1'
