/* global rs, print, sleep -- mongosh globals */
// One-shot (compose service `mongo-init`): `mongosh mongodb://mongo1:27017/admin?directConnection=true
// /deploy/init-replica-set.js`. Initiates replica set rs0 of mongo1..3 the first time, does
// nothing once it exists, and returns when a primary is elected (the apps need one to write).
const config = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

try {
  const status = rs.status();
  print(`replica set ${status.set} already initiated`);
} catch (err) {
  if (err.codeName !== 'NotYetInitialized' && err.code !== 94) throw err;
  print(`initiating replica set ${config._id}`);
  rs.initiate(config);
}

for (let i = 0; ; i++) {
  let primary;
  try {
    primary = rs.status().members.find((m) => m.stateStr === 'PRIMARY');
  } catch (err) {
    print(`waiting for the replica set: ${err.message}`);
  }
  if (primary) {
    print(`primary: ${primary.name}`);
    break;
  }
  if (i >= 60) throw new Error('no primary elected within 60 s');
  sleep(1000);
}
