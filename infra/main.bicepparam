using 'main.bicep'

param appName = 'bronsync-demo'
param bronEndpoint = 'https://bron.example.invalid:6914/bron/v1'
param authClientId = '00000000-0000-0000-0000-000000000000'
